// The sources behind one claim ($claim = a claim id): the source it is
// attributed to (depth 0), then every source reachable over CITES. depth = how
// many distinct sources precede a source on some citation path from the
// attributed one; on a simple chain that is its position, so the last row is
// the primary source. An anonymous source is not a citation anyone can follow:
// past depth 0 the chain keeps identifiable sources only. On a cycle every source
// of the cycle gets the same depth.
// Performance: a citation graph has cycles, and `[:CITES*0..]` enumerates every
// path of a cycle-rich graph (it ran out of transaction memory at 1,000 articles).
// Each walk here ends in RETURN DISTINCT on its end node with the relationships
// unused, which Neo4j runs as a pruning breadth-first search: each source is
// visited once. The walks run once per source of the chain, not once per pair.
MATCH (:Claim {id: $claim})-[:ATTRIBUTED_TO]->(s0:Source)
WITH collect(DISTINCT s0) AS starts
CALL (starts) {
  UNWIND starts AS s0
  MATCH (s0)-[:CITES*0..]->(m:Source)
  RETURN DISTINCT m
}
WITH starts, collect(m) AS reach
UNWIND reach AS m
CALL (m) {
  OPTIONAL MATCH (m)-[:CITES*1..]->(t:Source)
  RETURN DISTINCT t
}
WITH starts, reach, collect([m, t]) AS follows
UNWIND reach AS s
WITH s, starts, follows
WHERE s IN starts OR coalesce(s.kind, '') <> 'anonymous'
RETURN size([f IN follows WHERE f[1] = s]) AS depth, s.id AS source, s.name AS name, s.kind AS kind
ORDER BY depth, coalesce(name, ''), source
