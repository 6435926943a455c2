-- dllb.query: GROUP BY and GROUP ALL with count() and
-- math::sum/mean/min/max; those functions over arrays elsewhere.

SELECT count(*) FROM dllb.query($$
CREATE sale:1 SET country = 'NO', city = 'Oslo', amount = 10, paid = true;
CREATE sale:2 SET country = 'NO', city = 'Oslo', amount = 20, paid = false;
CREATE sale:3 SET country = 'NO', city = 'Bergen', amount = 5, paid = true;
CREATE sale:4 SET country = 'SE', city = 'Lund', amount = 7.5, paid = true;
CREATE sale:5 SET country = 'SE', city = 'Lund', amount = NULL;
CREATE sale:6 SET city = 'Nowhere', amount = 1
$$);

-- GROUP ALL: one row over every row that passes WHERE
SELECT * FROM dllb.query('SELECT count() AS n, math::sum(amount) AS total, math::min(amount) AS lo, math::max(amount) AS hi FROM sale GROUP ALL');
SELECT * FROM dllb.query($$SELECT count() AS n, math::mean(amount) AS avg FROM sale WHERE country = 'NO' GROUP ALL$$);
SELECT * FROM dllb.query('SELECT VALUE count() FROM sale GROUP ALL');
-- GROUP BY a field (rows come in key order; a missing field is its own group)
SELECT * FROM dllb.query('SELECT country, count() AS n, math::sum(amount) AS total FROM sale GROUP BY country');
-- several keys, an output name as the key, count(condition), arithmetic on aggregates
SELECT * FROM dllb.query('SELECT country, city, count() AS n FROM sale WHERE amount IS NOT NONE GROUP BY country, city');
SELECT * FROM dllb.query('SELECT country AS c, count(paid) AS paid, math::sum(amount) / count() AS per_sale FROM sale GROUP BY c');
-- ORDER BY an aggregate or an output name, LIMIT, START
SELECT * FROM dllb.query('SELECT city, math::sum(amount) AS total FROM sale GROUP BY city ORDER BY total DESC LIMIT 2');
SELECT * FROM dllb.query('SELECT city, count() AS n FROM sale GROUP BY city ORDER BY count() DESC, city LIMIT 2 START 1');
-- nested fields as keys, params in aggregates
SELECT * FROM dllb.query($$CREATE sale:7 SET shop = {region: 'north'}, amount = 3; SELECT shop.region, math::sum(amount * $k) AS t FROM sale WHERE shop IS NOT NONE GROUP BY shop.region$$, '{"k": 2}');
-- expressions as keys, named in GROUP BY by their output name or written out
SELECT * FROM dllb.query($$SELECT string::uppercase(city) AS c, count() AS n FROM sale GROUP BY c ORDER BY c$$);
SELECT * FROM dllb.query($$SELECT amount > 5 AS big, count() AS n FROM sale GROUP BY big ORDER BY n DESC$$);
SELECT * FROM dllb.query($$SELECT count() AS n FROM sale GROUP BY math::round(amount / 10) ORDER BY n$$);
SELECT * FROM dllb.query($$SELECT count() AS n FROM sale GROUP BY count()$$);
-- outside GROUP: the functions over an array; count() is 1 a row
SELECT * FROM dllb.query('RETURN math::sum([1, 2, 3.5]); RETURN math::mean([1, 2]); RETURN math::max([4, NULL, 9]); RETURN math::min([])');
SELECT * FROM dllb.query('SELECT VALUE count() FROM sale:1');
-- a field neither grouped nor aggregated is the array of its values in
-- the group, in record order (SurrealQL accumulates it)
SELECT * FROM dllb.query('SELECT city, count() FROM sale GROUP BY country');
-- errors: *, a string summed, a table that does not exist
SELECT * FROM dllb.query('SELECT * FROM sale GROUP ALL');
SELECT * FROM dllb.query('SELECT math::sum(city) FROM sale GROUP ALL');
SELECT * FROM dllb.query('SELECT math::sum(1, 2) FROM sale GROUP ALL');
SELECT * FROM dllb.query('SELECT count() FROM nosuch GROUP ALL');
-- one plan serves every value
SELECT stmt, sql FROM dllb.explain('SELECT country, count() AS n FROM sale WHERE amount > 1 GROUP BY country');

DROP TABLE sale;
-- time::min / time::max: over the group, or over an array
SELECT * FROM dllb.query($$CREATE grp_t:1 SET g = 1, at = d'2024-01-02T00:00:00.5Z'; CREATE grp_t:2 SET g = 1, at = d'2024-01-02';
  CREATE grp_t:3 SET g = 2, at = d'2023-05-01T10:00:00+02:00';
  SELECT g, time::min(at) AS first, time::max(at) AS last FROM grp_t GROUP BY g;
  RETURN [time::max([d'2020-01-01', d'2021-01-01']), time::min([])];
  REMOVE TABLE grp_t$$) WHERE stmt > 3;
-- $this is no record in a SELECT with GROUP: an error
SELECT * FROM dllb.query($$SELECT math::mean($this.v) FROM [{v: 1}] GROUP ALL$$);
-- a group without numbers: math::mean NaN, math::max -Infinity, math::min
-- Infinity, math::sum 0 (SurrealDB's); a mean is a float
SELECT * FROM dllb.query($$CREATE gnone:1 SET g = 'a'; CREATE gnone:2 SET g = 'a', v = 3; CREATE gnone:3 SET g = 'b';
  SELECT g, math::mean(v) AS mean, math::max(v) AS mx, math::min(v) AS mn, math::sum(v) AS s FROM gnone GROUP BY g ORDER BY g$$)
  WHERE stmt = 4;
SELECT count(*) FROM dllb.query('REMOVE TABLE gnone');
