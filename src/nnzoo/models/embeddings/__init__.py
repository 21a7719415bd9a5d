"""Word embeddings: words as points in a space where nearness means similar use.

- `vectors`: `WordVectors`, a vocabulary with one vector per word: cosine neighbours,
  3CosAdd analogies, and the word2vec text format.
- `counts`: `cooccurrence(tokens, window)`, the counts of words within a window of each
  other, `svd_embeddings(X, dim)`, words as the first columns of U in X = U S V^T, and
  `context_agreement(X, xy)`, how far places keep words with like contexts pointing alike.
- `word2vec`: `Word2Vec`, CBOW and skip-gram with hierarchical softmax or negative sampling
  (a numba inner loop, compiled on first use), `fit(sentences).wv`.
- `evaluate`: `analogies(wv, questions, restrict)` (3CosAdd accuracy with coverage, per
  section) and `similarity(wv, pairs)` (Spearman's rho), as gensim computes them.
"""
