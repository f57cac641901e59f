// The story of an entity ($entity = canonical name or alias, case-insensitive):
// every claim that mentions it, in story order: the article's publication date
// (undated articles first), then article, then position.
// Paged like the .rq twin: the story order of the 500th claim after $after, then every
// claim up to it.
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WITH DISTINCT c
WHERE c.story_order > $after
WITH c.story_order AS o ORDER BY o LIMIT 500
WITH max(o) AS last
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (c:Claim)-[:MENTIONS]->(e)
WITH DISTINCT c, last
WHERE c.story_order > $after AND c.story_order <= last
WITH c ORDER BY c.story_order LIMIT 10000
MATCH (c)-[:STATED_IN]->(a:Article)
OPTIONAL MATCH (c)-[:ATTRIBUTED_TO]->(s:Source)
RETURN DISTINCT a.published AS published, a.id AS article, a.title AS title,
       c.start AS start, c.`end` AS `end`, c.id AS claim, c.certainty AS certainty,
       c.event_type AS event_type, c.event_status AS event_status,
       s.name AS source, c.text AS text, c.story_order AS key
ORDER BY key, start, claim, coalesce(source, '')
