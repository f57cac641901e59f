// Findings of kind "hedge-laundering": one row per claim involved (the flagged claim, or
// every claim expressing the flagged proposition), grouped by flag, the flags in the
// order of their first claim (date, article, position), each flag's claims in story
// order. Columns: see queries/manifest.toml.
// Paged like the .rq twin: the next 500 flags by key (index Flag.key), then all their rows.
MATCH (f:Flag {kind: 'hedge-laundering'})
WHERE f.key > $after
WITH f ORDER BY f.key LIMIT 500
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
       f.rule AS rule, f.explanation AS explanation, f.key AS key
ORDER BY key, c.story_key, coalesce(source, ''), coalesce(source_kind, '')
