-- dllb.query control: BEGIN ... COMMIT / CANCEL as a subtransaction inside
-- one call, and IF ... THEN ... ELSE ... END / IF cond { } ELSE { }.

-- parsed and printed (the canonical text uses braces)
SELECT dllb.surql_parse($$BEGIN; CREATE a:1; COMMIT TRANSACTION; BEGIN TRANSACTION; CANCEL;
  IF $n > 1 THEN RETURN 'big'; CREATE x ELSE IF $n = 1 THEN RETURN 'one' ELSE RETURN 'none' END;
  IF $n { RETURN 1 } ELSE { };
  if true then select * from t; end$$);
SELECT dllb.surql_parse($$IF ($n > 1) { RETURN 'big'; CREATE x; } ELSE { IF ($n = 1) { RETURN 'one'; } ELSE { RETURN 'none'; }; }; IF $n { RETURN 1; } ELSE { }; IF TRUE { SELECT * FROM t; };$$);
SELECT dllb.surql_parse('IF $n THEN RETURN 1');
SELECT dllb.surql_parse('IF $n { RETURN 1');
SELECT dllb.surql_parse('IF $n RETURN 1');

-- COMMIT keeps the block's work and returns its rows
SELECT * FROM dllb.query($$
  CREATE acct:a SET bal = 10;
  BEGIN TRANSACTION;
  UPDATE acct:a SET bal = bal - 3;
  CREATE acct:b SET bal = 3;
  COMMIT TRANSACTION;
  SELECT * FROM acct
$$);

-- CANCEL undoes the block; its rows are not returned, and a LET inside it
-- is undone too
SELECT * FROM dllb.query($$
  LET $x = 'before';
  BEGIN;
  DELETE acct RETURN BEFORE;
  CREATE acct:c SET bal = 1;
  LET $x = 'inside';
  CANCEL;
  SELECT VALUE id FROM acct;
  RETURN $x
$$);

-- a table created inside a cancelled block is gone, and is created again
-- on the next write
SELECT * FROM dllb.query('BEGIN; CREATE fresh:1; CANCEL; SELECT * FROM fresh; CREATE fresh:2; SELECT * FROM fresh');
SELECT to_regclass('fresh') IS NOT NULL AS fresh_exists;

-- an error inside a block aborts the whole call: nothing of it stays,
-- not even what ran before BEGIN
SELECT * FROM dllb.query($$CREATE acct:d; BEGIN; CREATE acct:e; CREATE acct:e; COMMIT$$);
SELECT * FROM dllb.query('SELECT VALUE id FROM acct');
-- also when the caller catches the error
DO $$
BEGIN
  PERFORM * FROM dllb.query($q$CREATE acct:f; BEGIN; CREATE acct:g; CREATE acct:g; COMMIT$q$);
EXCEPTION WHEN unique_violation THEN
  RAISE NOTICE 'caught: %', SQLERRM;
END
$$;
SELECT * FROM dllb.query('SELECT VALUE id FROM acct');
-- an error after a committed block undoes it as well
SELECT * FROM dllb.query($$BEGIN; CREATE acct:h; COMMIT; CREATE acct:h$$);
SELECT * FROM dllb.query('SELECT VALUE id FROM acct');

-- blocks must pair up and do not nest; checked before anything runs
SELECT * FROM dllb.query('CREATE acct:i; COMMIT');
SELECT * FROM dllb.query('CANCEL TRANSACTION');
SELECT * FROM dllb.query('BEGIN; BEGIN; COMMIT; COMMIT');
SELECT * FROM dllb.query('CREATE acct:i; BEGIN; CREATE acct:j');
SELECT * FROM dllb.query('IF true { BEGIN; CREATE acct:k; COMMIT }');
SELECT * FROM dllb.query('SELECT VALUE id FROM acct');

-- IF: the condition is evaluated once; the rows are those of the last
-- statement of the branch taken, tagged with the IF's index
SELECT * FROM dllb.query($$
  IF $n > 1 THEN RETURN 'big' ELSE RETURN 'small' END;
  IF $n > 5 { RETURN 'huge' } ELSE IF $n = 3 { CREATE acct:three SET bal = $n; RETURN 'three' } ELSE { RETURN 'other' };
  IF $n < 0 { RETURN 'negative' };
  SELECT VALUE id FROM acct:three
$$, '{"n": 3}');
-- a LET inside a branch binds for the rest of that branch only
SELECT * FROM dllb.query($$
  LET $v = 'outer';
  IF true { LET $v = 'inner'; RETURN $v };
  RETURN $v
$$);
-- WHERE f and IF f count f's truth: a record id, 1, 'x' and [1] are true
SELECT * FROM dllb.query($$CREATE tru:1 SET f = tru:9; CREATE tru:2 SET f = 0; CREATE tru:3 SET f = 'x';
  CREATE tru:4 SET f = ''; CREATE tru:5 SET f = [1]; CREATE tru:6 SET f = []; CREATE tru:7;
  SELECT VALUE id FROM tru WHERE f; SELECT VALUE IF f THEN 'yes' ELSE 'no' END FROM tru;
  REMOVE TABLE tru$$) WHERE stmt > 7;
-- a condition counts by its truth (as in WHERE): NONE, 0, '' and [] are false, 1 is true
SELECT * FROM dllb.query($$
  IF $missing_field IS NONE { RETURN 'none' } ELSE { RETURN 'set' };
  IF 1 { RETURN 'one is true' } ELSE { RETURN 'one is not true' };
  IF $flag AND $n = 7 THEN RETURN 'flag' ELSE RETURN 'no' END
$$, '{"flag": true, "n": 7, "missing_field": null}');
-- an unbound $param in the condition is an error, as everywhere
SELECT * FROM dllb.query('IF $typo { RETURN 1 }');
-- a field in the condition has no row to read
SELECT * FROM dllb.query('IF bal > 1 { RETURN 1 }');
-- IF inside BEGIN ... CANCEL is undone with the block
SELECT * FROM dllb.query($$BEGIN; IF true { CREATE acct:undone }; CANCEL; SELECT VALUE id FROM acct:undone$$);
-- dllb.explain evaluates the condition and shows every statement of the
-- branch taken; it opens no block
SELECT stmt, sql FROM dllb.explain($$BEGIN; IF $n = 1 { SELECT * FROM acct; RETURN 1 } ELSE { RETURN 2 }; COMMIT$$, '{"n": 1}');

DROP TABLE acct, fresh;

-- FOR $x IN array or range { ... }: the body once per element, no rows;
-- a LET inside lasts for that pass; a target may be type::record(...)
SELECT * FROM dllb.query($$FOR $i IN 1..4 { CREATE type::record('ctl_for', $i) SET sq = $i * $i };
  FOR $w IN ['x', 'y'] { LET $up = string::uppercase($w); UPDATE ctl_for:1 SET tags += [$up] };
  FOR $i IN 5..=5 { CREATE ctl_for SET sq = $i, id = $i };
  FOR $nothing IN [] { THROW 'never' };
  SELECT id, sq, tags FROM ctl_for$$);
SELECT * FROM dllb.query($$FOR $w IN ['x'] { LET $up = 1 }; RETURN $up$$);
SELECT * FROM dllb.query($$FOR $x IN 'abc' { RETURN $x }$$);
-- CREATE of several records: one each, in the order given
SELECT * FROM dllb.query($$CREATE ctl_for:7, ctl_for:6 SET sq = 0 RETURN id;
  REMOVE TABLE ctl_for$$);

-- RETURN inside IF or a block { ... }, at any depth, ends the outermost
-- one: its value is the IF's, and the statements after it do not run
SELECT * FROM dllb.query($$
  { IF true { RETURN 'early' }; 'not reached' };
  { IF false { 'no' } ELSE IF true { RETURN 'from else if' }; 'not reached' };
  { LET $n = 3; IF $n > 1 { IF $n > 2 { RETURN $n * 10 }; 'not reached' }; 'not reached' };
  { IF true { RETURN 'stops' }; CREATE ctl_ret:1 };
  IF true { RETURN 'top' } ELSE { RETURN 'never' };
  { 'first'; 'last' };
  SELECT * FROM ctl_ret
$$);
-- SLEEP d waits for the duration d and has no rows
SELECT stmt, result, clock_timestamp() - now() >= interval '40 milliseconds' AS waited
FROM dllb.query($$SLEEP 50ms; RETURN 'after'$$);
SELECT dllb.surql_parse($$SLEEP 1m30s$$);
-- RETURN inside a block, IF or FOR (at any depth) gives the value of the
-- outermost one and skips the rest of it
SELECT * FROM dllb.query($$FOR $i IN 1..10 { RETURN $i };
  { 1 + 2; RETURN 5; RETURN 8 };
  FOR $i IN [1, 2, 3] { IF $i = 2 { RETURN $i * 10 }; CREATE ret:1 };
  IF true { FOR $j IN [7, 8] { RETURN $j }; RETURN 0 };
  SELECT VALUE id FROM ret; REMOVE TABLE ret$$);
-- BREAK ends the innermost FOR, CONTINUE goes on with its next pass;
-- outside a FOR they are errors
SELECT * FROM dllb.query($$FOR $i IN [1, 2, 3, 4] { CREATE type::record('brk', $i); IF $i == 2 { BREAK } };
  FOR $i IN [1, 2, 3] { IF $i == 2 { CONTINUE }; CREATE type::record('cnt', $i) };
  FOR $o IN [1, 2] { FOR $n IN [1, 2, 3] { IF $n == 2 { BREAK }; CREATE type::record('nst', $o * 10 + $n) } };
  SELECT VALUE id FROM brk; SELECT VALUE id FROM cnt; SELECT VALUE id FROM nst;
  REMOVE TABLE brk; REMOVE TABLE cnt; REMOVE TABLE nst$$);
SELECT * FROM dllb.query($$IF true { BREAK }$$);
SELECT dllb.surql_parse($$FOR $i IN [1] { CONTINUE; BREAK }; RETURN SELECT * FROM t$$);
