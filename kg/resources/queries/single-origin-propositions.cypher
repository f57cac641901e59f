// Propositions flagged "single-origin": repeated by one or more claims that all
// trace back to one origin. One row per member claim. Columns: see manifest.toml.
MATCH (f:Flag {kind: 'single-origin'})-[:FLAGS]->(p:Proposition)
MATCH (c:Claim)-[:EXPRESSES]->(p)
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT p.id AS proposition, p.label AS label, p.origins AS origins,
       f.id AS flag, f.rule AS rule, f.explanation AS explanation,
       c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, c.text AS text
ORDER BY coalesce(label, ''), proposition, flag, coalesce(published, ''), article, start, claim
