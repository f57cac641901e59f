// Claims flagged "unsupported" by the analysis, with where they are stated and who
// (if anyone) they are attributed to. Columns: see queries/manifest.toml.
MATCH (f:Flag {kind: 'unsupported'})-[:FLAGS]->(c:Claim)
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT c.id AS claim, a.id AS article, a.published AS published,
       c.start AS start, c.`end` AS `end`, c.certainty AS certainty,
       s.name AS source, s.kind AS source_kind, c.text AS text,
       f.rule AS rule, f.explanation AS explanation, f.id AS flag
ORDER BY coalesce(published, ''), article, start, claim, flag
