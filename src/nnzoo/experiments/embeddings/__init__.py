"""Word embeddings: each word of a vocabulary as a point in a space where words used alike
lie near each other.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("embeddings", "Word embeddings", position=6,
       about="Words as vectors: counts of which words occur near which, reduced by the SVD, "
             "and word2vec's networks (CBOW and skip-gram, with hierarchical softmax or "
             "negative sampling), whose vectors answer analogies by arithmetic.",
       order=("cooccurrence", "word2vec", "word-arithmetic"))
