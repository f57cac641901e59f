// Claims flagged "unsupported" by the analysis: stated as fact with no source and no hedge.
// Where each is stated and who (if anyone) it is attributed to. Columns: see manifest.toml.
// Paged like the .rq twin: the next 500 flags by key (index Flag.key), then their rows.
MATCH (f:Flag {kind: 'unsupported'})
WHERE f.key > $after
WITH f ORDER BY f.key LIMIT 500
MATCH (f)-[:FLAGS]->(c:Claim)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, s.kind AS source_kind, c.text AS text,
       f.rule AS rule, f.explanation AS explanation, f.id AS flag, f.key AS key
ORDER BY key, coalesce(source, ''), coalesce(source_kind, '')
