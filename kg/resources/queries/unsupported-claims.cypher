// Claims flagged "unsupported" by the analysis: stated as fact with no source and no hedge.
// Where each is stated and who (if anyone) it is attributed to. Columns: see manifest.toml.
// Paged like the .rq twin: the order of the 500th flag after $after, then every flag up to it.
MATCH (f:Flag {kind: 'unsupported'})
WHERE f.order > $after
WITH f.order AS o ORDER BY o LIMIT 500
WITH max(o) AS last
MATCH (f:Flag {kind: 'unsupported'})
WHERE f.order > $after AND f.order <= last
WITH f ORDER BY f.order LIMIT 10000
MATCH (f)-[:FLAGS]->(c:Claim)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, s.kind AS source_kind, c.text AS text,
       f.rule AS rule, f.explanation AS explanation, f.id AS flag, f.order AS key
ORDER BY key, start, claim, flag, coalesce(source, ''), coalesce(source_kind, '')
