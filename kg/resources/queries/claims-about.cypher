// Claims that mention an entity ($entity = its canonical name or any alias,
// case-insensitive), grouped by entity, in date then text order.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT e.name AS canonical, e.type AS type, c.id AS claim, a.id AS article,
       a.published AS published, c.start AS start, c.`end` AS `end`,
       c.certainty AS certainty, s.name AS source, c.text AS text
ORDER BY canonical, coalesce(published, ''), article, start, claim
