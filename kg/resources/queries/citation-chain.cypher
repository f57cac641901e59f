// The sources behind one claim ($claim = a claim id): the source it is
// attributed to (depth 0), then every source reachable over CITES. depth = how
// many distinct sources precede a source on some citation path from the
// attributed one; on a simple chain that is its position, so the last row is
// the primary source. An anonymous source is not a citation anyone can follow:
// past depth 0 the chain keeps identifiable sources only. On a cycle every source of the cycle gets the same depth.
MATCH (c:Claim {id: $claim})-[:ATTRIBUTED_TO]->(s0:Source)
MATCH (s0)-[:CITES*0..]->(s:Source)
WHERE s = s0 OR coalesce(s.kind, '') <> 'anonymous'
WITH DISTINCT s0, s
OPTIONAL MATCH (s0)-[:CITES*0..]->(m:Source)
WHERE EXISTS { MATCH (m)-[:CITES*1..]->(s) }
WITH s, count(DISTINCT m) AS depth
RETURN depth, s.id AS source, s.name AS name, s.kind AS kind
ORDER BY depth, coalesce(name, ''), source
