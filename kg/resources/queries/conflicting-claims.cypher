// Pairs of claims that disagree (both kept), with the kind of conflict, the rule
// that found it, a one-sentence explanation and its review state.
// Paged like the .rq twin: the next 500 conflicts by key (index Conflict.key), then their rows.
MATCH (k:Conflict)
WHERE k.key > $after
WITH k ORDER BY k.key LIMIT 500
MATCH (k)-[:BETWEEN {role: 'a'}]->(ca:Claim)
MATCH (k)-[:BETWEEN {role: 'b'}]->(cb:Claim)
MATCH (ca)-[:STATED_IN]->(aa:Article)
MATCH (cb)-[:STATED_IN]->(ab:Article)
OPTIONAL MATCH (ca)-[:ATTRIBUTED_TO]->(sa:Source)
OPTIONAL MATCH (cb)-[:ATTRIBUTED_TO]->(sb:Source)
RETURN DISTINCT k.id AS conflict, k.kind AS kind,
       ca.id AS claim_a, aa.id AS article_a, sa.name AS source_a, ca.text AS text_a,
       cb.id AS claim_b, ab.id AS article_b, sb.name AS source_b, cb.text AS text_b,
       k.rule AS rule, k.explanation AS explanation, k.review AS review, k.key AS key
ORDER BY key, coalesce(source_a, ''), coalesce(source_b, '')
