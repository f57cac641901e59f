"""kg: a claim-verification knowledge graph for contested news.

Importing ``kg`` is cheap: spaCy, rdflib and the Neo4j driver load only when used.
"""

__version__ = "0.1.0"
