"""Experiments: one package per family, one module per experiment.

    experiments/<family>/__init__.py     family(name, title, position=..., order=(...))
    experiments/<family>/<experiment>.py  its config, @experiment registration, run
                                          function (the story) and figure

Nothing here lists them: `nnzoo.registry.load_all()` discovers the packages and modules.
Nothing outside this package imports from it (tests go through the registry).
"""
