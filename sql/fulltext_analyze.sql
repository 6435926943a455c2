-- analyzers: PostgreSQL text search configurations and the dllb.code
-- tokenizer, through dllb.analyze; errors.

SELECT * FROM dllb.analyze('english', 'The quick brown foxes jumped over the lazy dogs');
SELECT * FROM dllb.analyze('simple', 'The quick brown foxes');
SELECT * FROM dllb.analyze('german', 'Die Häuser stehen am Fluss');

-- identifiers split into their words, the whole identifier kept too
SELECT * FROM dllb.analyze('dllb.code', 'parseHttpRequest(req, max_retry_count)');
SELECT token, "position" FROM dllb.analyze('dllb.code', 'HTTPServer utf8Decode XMLHttpRequest2 kebab-case-name __init__');
SELECT token FROM dllb.analyze('dllb.code', 'getURLs') ORDER BY "position", token;
-- then a configuration's dictionaries: stemming and stop words
SELECT * FROM dllb.analyze('dllb.code(english)', 'runningTests for the_parsers');
SELECT count(*) FROM dllb.analyze('dllb.code', '');
SELECT count(*) FROM dllb.analyze('dllb.code', '+-*/ ;; -- __ ');
SELECT * FROM dllb.analyze('dllb.code', 'naïveBayes größe');

-- errors
SELECT * FROM dllb.analyze('no_such_config', 'x');
SELECT * FROM dllb.analyze('dllb.code(no_such_config)', 'x');
