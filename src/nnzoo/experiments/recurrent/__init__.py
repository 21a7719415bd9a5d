"""Recurrent networks: first NetTalk's sliding window over the letters of a word, then
Elman's simple recurrent network counting a^n b^n (c^n) with the dynamics of its hidden
units, learning the Reber grammar's states, and a bidirectional encoder with an attention
decoder.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("recurrent", "Recurrent networks and attention", position=5,
       about="First the simplest way to feed a sequence to a network, NetTalk's sliding "
             "window: a window of letters says the phoneme of the one in its centre. Then "
             "networks whose hidden layer feeds back into itself, so that they read a "
             "sequence one symbol at a time and carry what they need in their hidden state: "
             "Elman's simple recurrent network (SRN) trained by backpropagation through "
             "time, whose two hidden units learn to count and whose hidden states learn a "
             "grammar's states; and an encoder-decoder with attention, which learns where in "
             "the input each output comes from.",
       order=("sliding-window", "anbn", "anbncn", "reber", "long-range", "attention"))
