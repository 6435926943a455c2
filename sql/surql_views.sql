-- DEFINE TABLE ... AS SELECT: a view whose rows are its SELECT's results
-- when read, each with the view's own id; REMOVE TABLE drops it.

SELECT * FROM dllb.query($$CREATE sale:1 SET shop = 'north', amount = 10;
  CREATE sale:2 SET shop = 'south', amount = 4;
  CREATE sale:3 SET shop = 'north', amount = 6;
  DEFINE TABLE per_shop AS SELECT shop, count() AS n, math::sum(amount) AS total FROM sale GROUP BY shop;
  DEFINE TABLE overall AS SELECT math::mean(amount) AS avg FROM sale GROUP ALL;
  DEFINE TABLE large AS SELECT amount FROM sale WHERE amount > 5;
  SELECT * FROM per_shop;
  SELECT * FROM overall;
  SELECT * FROM large$$);

-- reads see the source as it is now; the view's rows filter and order
-- like a table's
SELECT * FROM dllb.query($$UPDATE sale:2 SET amount = 40;
  CREATE sale:4 SET shop = 'west', amount = 1;
  SELECT total FROM per_shop WHERE shop = 'south';
  SELECT VALUE id FROM per_shop ORDER BY n DESC, shop;
  SELECT avg FROM overall$$);

-- GROUP ALL of an empty source has no row (a table has one)
SELECT * FROM dllb.query($$DEFINE TABLE none_yet AS SELECT count() FROM later GROUP ALL;
  SELECT * FROM none_yet;
  CREATE later:1;
  SELECT * FROM none_yet$$);

-- the same definition again is kept; another one needs OVERWRITE
SELECT * FROM dllb.query($$DEFINE TABLE large AS SELECT amount FROM sale WHERE amount > 5$$);
SELECT * FROM dllb.query($$DEFINE TABLE large AS SELECT amount FROM sale WHERE amount > 9$$);
SELECT * FROM dllb.query($$DEFINE TABLE OVERWRITE large AS SELECT amount FROM sale WHERE amount > 9;
  SELECT * FROM large$$);
-- a table of that name is not a view
SELECT * FROM dllb.query($$DEFINE TABLE sale AS SELECT * FROM large$$);

-- plain SQL reads the PostgreSQL view
SELECT * FROM per_shop;

SELECT * FROM dllb.query($$REMOVE TABLE large; SELECT * FROM large; REMOVE TABLE IF EXISTS large$$);
SELECT * FROM dllb.query($$REMOVE TABLE per_shop; REMOVE TABLE overall; REMOVE TABLE none_yet;
  REMOVE TABLE sale; REMOVE TABLE later$$);
