// kg: starter queries for Neo4j Browser, after `kg push --uri ...`.
// Printed by `kg neo4j guide`. Run `:style` with `kg neo4j style` first for colours.
// Each query is one statement; select it and press Ctrl+Enter (or paste it alone).
// Model: (:Claim)-[:STATED_IN]->(:Article), (:Claim)-[:ATTRIBUTED_TO]->(:Source),
// (:Claim)-[:MENTIONS]->(:Entity), (:Claim)-[:EXPRESSES]->(:Proposition),
// (:Claim)-[:CONFLICTS_WITH {conflict}]->(:Claim), (:Conflict)-[:BETWEEN {role}]->(:Claim),
// (:Flag)-[:FLAGS]->(:Claim|Proposition), (:Article|Source)-[:CITES]->(:Source),
// (:Entity)-[:DEVELOPED_BY]->(:Entity).

// 1. What is in the graph: node counts per label.
MATCH (n) RETURN labels(n)[0] AS label, count(*) AS nodes ORDER BY nodes DESC;

// 2. Every conflict, drawn: the two claims (red link), their articles and sources.
MATCH (a:Claim)-[k:CONFLICTS_WITH]->(b:Claim)
OPTIONAL MATCH (a)-[s1:STATED_IN]->(aa:Article)
OPTIONAL MATCH (b)-[s2:STATED_IN]->(ab:Article)
RETURN a, k, b, s1, aa, s2, ab LIMIT 50;

// 3. Conflicts as a table, with the rule that found them and the review state.
MATCH (k:Conflict)-[:BETWEEN {role: 'a'}]->(a:Claim), (k)-[:BETWEEN {role: 'b'}]->(b:Claim)
RETURN k.kind AS kind, k.rule AS rule, k.review AS review, a.text AS claim_a, b.text AS claim_b
ORDER BY kind, rule;

// 4. Propositions backed by several claims, with how many independent origins they have.
MATCH (c:Claim)-[:EXPRESSES]->(p:Proposition)
RETURN p.label AS proposition, count(c) AS claims, p.origins AS origins
ORDER BY claims DESC LIMIT 25;

// 5. Flags: unsupported, anonymous, single-origin, hedge-laundering, circular.
MATCH (f:Flag)-[:FLAGS]->(t)
RETURN f.kind AS kind, labels(t)[0] AS target, coalesce(t.text, t.label) AS what, f.explanation AS why
ORDER BY kind LIMIT 100;

// 6. Who says what: sources ranked by the number of claims attributed to them.
MATCH (c:Claim)-[:ATTRIBUTED_TO]->(s:Source)
RETURN s.name AS source, s.kind AS kind, count(c) AS claims ORDER BY claims DESC LIMIT 25;

// 7. One entity's neighbourhood: claims that mention it and where they were stated.
//    Change the name (or use :param name => 'OpenAI').
MATCH (e:Entity) WHERE toLower(e.name) CONTAINS toLower('openai')
MATCH (c:Claim)-[m:MENTIONS]->(e)
OPTIONAL MATCH (c)-[s:STATED_IN]->(a:Article)
RETURN e, m, c, s, a LIMIT 100;

// 8. Hedged or reported claims only (certainty is asserted, hedged, reported, speculative or negated).
MATCH (c:Claim)-[:STATED_IN]->(a:Article)
WHERE c.certainty IN ['hedged', 'reported', 'speculative']
RETURN a.title AS article, c.certainty AS certainty, c.text AS claim ORDER BY article LIMIT 100;

// 9. Citation chains: who cites whom (articles and sources), up to three hops.
MATCH p = (:Article)-[:CITES*1..3]->(:Source) RETURN p LIMIT 50;

// 10. Full-text search over claim text (index claim_text, created by kg push).
CALL db.index.fulltext.queryNodes('claim_text', 'export ban') YIELD node, score
RETURN node.text AS claim, node.article AS article, score ORDER BY score DESC LIMIT 20;
