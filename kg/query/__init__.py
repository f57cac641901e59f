"""Questions to the store: named queries (SPARQL and Cypher), ad-hoc SPARQL, SHACL
checks and exports. The query files, the ontology and the shapes are packaged resources
(``kg.resources``)."""
