"""Step 2: the per-article work that needs spaCy.

``parse`` loads the model and streams docs, ``workers`` runs the extraction in worker
processes, ``extract`` turns one article's docs into claims with exact spans, using
``clauses``, ``attribution`` (with ``speakers``), ``certainty`` and ``mentions``.
Nothing outside this package and ``kg.pipeline`` imports it.
"""
