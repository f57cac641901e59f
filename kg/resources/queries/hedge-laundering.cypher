// Findings of kind "hedge-laundering": one row per claim involved (the flagged claim, or
// every claim expressing the flagged proposition), grouped by flag, the flags in the
// story order of their first claim, each flag's claims in story order.
// Columns: see queries/manifest.toml.
// Paged like the .rq twin: the flags up to the order of the 500th after $after.
MATCH (f:Flag {kind: 'hedge-laundering'})
WHERE f.order > $after
WITH f.order AS o ORDER BY o LIMIT 500
WITH max(o) AS last
MATCH (f:Flag {kind: 'hedge-laundering'})
WHERE f.order > $after AND f.order <= last
WITH f ORDER BY f.order LIMIT 10000
MATCH (f)-[:FLAGS]->(t)
WHERE t:Claim OR t:Proposition
OPTIONAL MATCH (m:Claim)-[:EXPRESSES]->(t)
WITH f, t, collect(m) AS members
UNWIND CASE WHEN t:Claim THEN [t] ELSE members END AS c
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
WITH DISTINCT t, f, c, a, s
RETURN t.id AS target, CASE WHEN t:Claim THEN 'claim' ELSE 'proposition' END AS target_kind,
       f.id AS flag, c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, s.kind AS source_kind, c.text AS text,
       f.rule AS rule, f.explanation AS explanation, f.order AS key
ORDER BY key, flag, c.story_order, start, claim, coalesce(source, ''), coalesce(source_kind, '')
