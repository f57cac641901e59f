"""The property graph in Neo4j: ``plan`` (rows and statements), ``batches`` (the
connection and batched transactions), ``push`` (the protocol). The Browser style and
guide are packaged resources (``kg.resources``, ``neo4j/``)."""
