// Claims that mention an entity ($entity = its canonical name or any alias,
// case-insensitive), in story order (date, article, position), then by entity.
// Paged like the .rq twin: the story order of the 500th mentioning claim after $after,
// then every mentioning claim up to it.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WHERE c.story_order > $after
WITH c.story_order AS o ORDER BY o LIMIT 500
WITH max(o) AS last
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WHERE c.story_order > $after AND c.story_order <= last
WITH e, c ORDER BY c.story_order LIMIT 10000
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT e.name AS canonical, e.type AS type, c.id AS claim, a.id AS article,
       a.published AS published, c.start AS start, c.`end` AS `end`,
       c.certainty AS certainty, s.name AS source, c.text AS text, c.story_order AS key
ORDER BY key, start, claim, canonical, coalesce(source, '')
