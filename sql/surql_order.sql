-- ORDER BY e COLLATE (strings with case and Latin accents folded) and
-- NUMERIC (numbers inside strings by value); other types keep the
-- dialect's order.
SELECT * FROM dllb.query($$CREATE ord:1 SET v = 'apple'; CREATE ord:2 SET v = 'Apple';
  CREATE ord:3 SET v = 'BANANA'; CREATE ord:4 SET v = 'file10'; CREATE ord:5 SET v = 'file9';
  CREATE ord:6 SET v = 'éclair'; CREATE ord:7 SET v = 7;
  SELECT VALUE v FROM ord ORDER BY v;
  SELECT VALUE v FROM ord ORDER BY v COLLATE;
  SELECT VALUE v FROM ord ORDER BY v COLLATE NUMERIC DESC$$);
SELECT dllb.surql_parse('SELECT * FROM ord ORDER BY v NUMERIC, w COLLATE DESC');
SELECT * FROM dllb.query('REMOVE TABLE ord');
-- text outside the Latin scripts is refused under COLLATE
SELECT * FROM dllb.query($$CREATE ord2:1 SET v = 'Привет'; SELECT VALUE v FROM ord2 ORDER BY v COLLATE$$);
