"""Projections of the records: RDF quads and the property graph. No I/O.

``ns`` declares the vocabularies, ``articles`` makes an article graph's quads,
``analysis`` the analysis graph's records, ``orders`` the stored paging orders,
``pgraph`` the property graph that ``kg.neo4j`` pushes.
"""
