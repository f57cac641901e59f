"""Step 3: the cross-article analysis over plain records, without spaCy.

``run.analyse`` resolves ``entities``, groups ``propositions`` (``similarity``, ``slots``),
finds ``conflicts`` (``blocking``, ``values``), traces ``origins`` and raises ``flags``;
``explain`` words the quotes every finding carries.
"""
