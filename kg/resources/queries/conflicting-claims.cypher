// Pairs of claims that disagree (both kept), with the kind of conflict, the rule
// that found it, a one-sentence explanation and its review state.
// Paged like the .rq twin: the order of the 500th conflict after $after, then every
// conflict up to it.
MATCH (k:Conflict)
WHERE k.order > $after
WITH k.order AS o ORDER BY o LIMIT 500
WITH max(o) AS last
MATCH (k:Conflict)
WHERE k.order > $after AND k.order <= last
WITH k ORDER BY k.order LIMIT 10000
MATCH (k)-[:BETWEEN {role: 'a'}]->(ca:Claim)
MATCH (k)-[:BETWEEN {role: 'b'}]->(cb:Claim)
MATCH (ca)-[:STATED_IN]->(aa:Article)
MATCH (cb)-[:STATED_IN]->(ab:Article)
OPTIONAL MATCH (ca)-[:ATTRIBUTED_TO]->(sa:Source)
OPTIONAL MATCH (cb)-[:ATTRIBUTED_TO]->(sb:Source)
RETURN DISTINCT k.id AS conflict, k.kind AS kind,
       ca.id AS claim_a, aa.id AS article_a, sa.name AS source_a, ca.text AS text_a,
       cb.id AS claim_b, ab.id AS article_b, sb.name AS source_b, cb.text AS text_b,
       k.rule AS rule, k.explanation AS explanation, k.review AS review, k.order AS key
ORDER BY key, coalesce(kind, ''), claim_a, claim_b, conflict, coalesce(source_a, ''), coalesce(source_b, '')
