// Claims that mention an entity ($entity = its canonical name or any alias,
// case-insensitive), grouped by entity, each in story order (date, article, position).
// Paged like the .rq twin: the next 500 (entity, claim) pairs by key, then their rows.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WITH e, c, e.id + ' ' + c.story_key AS key
WHERE key > $after
WITH e, c, key ORDER BY key LIMIT 500
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT e.name AS canonical, e.type AS type, c.id AS claim, a.id AS article,
       a.published AS published, c.start AS start, c.`end` AS `end`,
       c.certainty AS certainty, s.name AS source, c.text AS text, key
ORDER BY key, coalesce(source, '')
