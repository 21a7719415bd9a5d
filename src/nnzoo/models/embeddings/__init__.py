"""Word embeddings: words as points in a space where nearness means similar use.

- `vectors`: `WordVectors`, a vocabulary with one vector per word: cosine neighbours,
  3CosAdd analogies, and the word2vec text format.
"""
