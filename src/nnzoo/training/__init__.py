"""Every loop that takes a run, one floor above the models: `supervised` (the one
mini-batch loop `fit`, and `fit_to_convergence`, `hill_climb`, `torch_threads`),
`classifiers` (image classifiers as the CNN experiments train them), `agents` (the RL
agents' training and judging), `sequences` (recurrent networks on counting languages,
NetTalk's sliding window), `pixels` (style's pixel optimisation) and `word2vec`.

Each takes explicit parameters and a run typed by `protocol.TrainingRun` (nnzoo.runs.Run is
one). Only `nnzoo.experiments` and this package name a run: `nn`, `models`, `rl`, `data`
and `viz` never import `nnzoo.training` or `nnzoo.runs` (tests/test_house.py). Importing
this package imports no torch; its modules do.
"""
