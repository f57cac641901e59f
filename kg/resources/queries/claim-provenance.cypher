// Everything about one claim ($claim = a claim id), in one row: where it is
// stated, its frame, certainty and event status, who it is attributed to (and
// that source's own source), the proposition it expresses, and how many flags
// (on the claim or its proposition) and conflicts involve it. An empty frame
// field is null, as in RDF (which does not store empty strings). Neo4j >= 5.23.
MATCH (c:Claim {id: $claim})-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[r:ATTRIBUTED_TO]->(s:Source)
OPTIONAL MATCH (v:Source {id: r.via})
OPTIONAL MATCH (c)-[:EXPRESSES]->(p:Proposition)
CALL (c) {
  OPTIONAL MATCH (f:Flag)-[:FLAGS]->(t)
  WHERE t = c OR (c)-[:EXPRESSES]->(t)
  RETURN count(DISTINCT f) AS flags
}
CALL (c) {
  OPTIONAL MATCH (k:Conflict)-[:BETWEEN]->(c)
  RETURN count(DISTINCT k) AS conflicts
}
RETURN DISTINCT c.id AS claim, a.id AS article, a.title AS title, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.sentence AS sentence, c.certainty AS certainty,
       c.polarity AS polarity, c.event_type AS event_type, c.event_status AS event_status,
       CASE c.subject WHEN '' THEN null ELSE c.subject END AS subject,
       CASE c.predicate WHEN '' THEN null ELSE c.predicate END AS predicate,
       CASE c.object WHEN '' THEN null ELSE c.object END AS object,
       s.name AS source, s.kind AS source_kind, v.name AS via,
       p.id AS proposition, p.label AS proposition_label,
       flags, conflicts, c.text AS text
ORDER BY claim, proposition, source
