// The story of an entity ($entity = canonical name or alias, case-insensitive):
// every claim that mentions it, ordered by the article's publication date
// (undated articles first), then article, then position.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT a.published AS published, a.id AS article, a.title AS title,
       c.start AS start, c.`end` AS `end`, c.id AS claim, c.certainty AS certainty,
       c.event_type AS event_type, c.event_status AS event_status,
       s.name AS source, c.text AS text
ORDER BY coalesce(published, ''), article, start, claim
