"""`nnzoo serve`: the zoo in the browser, on the registry and the run folders.

    app.py    the Starlette application: pages, the JSON API, the token, the error answers
    guard.py  the edge: body size limits (413) and every answer's security headers (no
              framing, no sniffing, no referrer, a Content-Security-Policy)
    forms.py  an experiment's form from its options; a submitted form checked by the CLI's
              validators and turned into the arguments of `nnzoo run` (a path option names
              only a file inside the runs folder, e.g. one uploaded to RUNS/uploads)
    jobs.py   the queue of runs, each `python -m nnzoo run ...` in its own process
    files.py  paths kept inside the runs folder, the one test of a run folder (the routes
              and the runs list share it), the uploads, a run followed live (SSE)
    code.py   a source file highlighted, the library names it imports linked
    pages.py  the HTML; static/app.js and app.css make it live

static/uPlot.iife.min.js and uPlot.min.css are uPlot 1.6.32 as published on npm (`npm pack
uplot@1.6.32`, its dist/ folder), MIT-licensed: static/uPlot.LICENSE. Nothing is fetched from
the network by a page. Only app.py needs the `serve` extra (starlette); nothing here
imports torch.
"""
