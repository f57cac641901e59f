// The story of an entity ($entity = canonical name or alias, case-insensitive):
// every claim that mentions it, in story order: the article's publication date
// (undated articles first), then article, then position.
// Paged like the .rq twin: the next 500 claims by story key, then their rows.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WITH DISTINCT c
WHERE c.story_key > $after
WITH c ORDER BY c.story_key LIMIT 500
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT a.published AS published, a.id AS article, a.title AS title,
       c.start AS start, c.`end` AS `end`, c.id AS claim, c.certainty AS certainty,
       c.event_type AS event_type, c.event_status AS event_status,
       s.name AS source, c.text AS text, c.story_key AS key
ORDER BY key, coalesce(source, '')
