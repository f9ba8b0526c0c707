"""The demo portfolio builder (``inspector-app demo``): invented borrowers, loans, visits and
signals written through the store, for trying the app and for the benchmarks.

- ``build``: ``build_demo`` and its summary; the default portfolio or ``scale=N``.
- ``portfolio`` (the hand-shaped default) and ``scale`` (bulk volume) write the rows.
- ``shared``: bulk writing, users, money and dates, ``PortfolioBuilder``.
- ``words``: word lists, number formats and checklist answers (a phrase book).
"""
