// Findings of kind "circular": one row per claim involved (the flagged claim, or
// every claim expressing the flagged proposition), grouped by target and read
// in date order. Columns: see queries/manifest.toml.
MATCH (f:Flag {kind: 'circular'})-[:FLAGS]->(t)
WHERE t:Claim OR t:Proposition
OPTIONAL MATCH (m:Claim)-[:EXPRESSES]->(t)
WITH f, t, collect(m) AS members
UNWIND CASE WHEN t:Claim THEN [t] ELSE members END AS c
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT t.id AS target, CASE WHEN t:Claim THEN 'claim' ELSE 'proposition' END AS target_kind,
       f.id AS flag, c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, s.kind AS source_kind, c.text AS text,
       f.rule AS rule, f.explanation AS explanation
ORDER BY target, flag, coalesce(published, ''), article, start, claim
