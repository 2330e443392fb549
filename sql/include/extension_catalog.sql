-- pg_temp.csm_catalog(): every member object of csmetrics with what defines
-- it, one row per object and aspect, as plain text, so that two installs
-- (an updated one and a fresh one) can be compared with EXCEPT.  It reads
-- the catalogs, not a dump: the member list, and for each kind of object
-- the fields that make it behave as it does.
CREATE FUNCTION pg_temp.csm_catalog() RETURNS TABLE (kind text, identity text, detail text)
LANGUAGE sql STABLE AS $f$
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'csmetrics'),
members AS (
	SELECT d.classid, d.objid, d.objsubid
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
-- the members themselves, with their comments
SELECT 'member', pg_describe_object(classid, objid, objsubid),
	   coalesce(obj_description(objid, classid::regclass::name), '(no comment)')
FROM members
UNION ALL
-- functions and aggregates: signature, kind, volatility, strictness,
-- parallel safety, security, cost, result, defaults, settings, body, access
SELECT 'function', p.oid::regprocedure::text,
	   concat_ws(' | ', p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.prosecdef,
				 p.proleakproof, p.procost, p.prorows, p.proretset,
				 pg_get_function_result(p.oid), pg_get_function_arguments(p.oid),
				 p.proconfig::text, l.lanname,
				 CASE WHEN l.lanname = 'c' THEN p.prosrc || ' ' || p.probin
					  WHEN p.prokind = 'a' THEN ''
					  ELSE pg_get_functiondef(p.oid) END,
				 p.proacl::text)
FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
JOIN pg_language l ON l.oid = p.prolang
UNION ALL
SELECT 'aggregate', a.aggfnoid::regprocedure::text,
	   concat_ws(' | ', a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure,
				 a.aggfinalfn::regprocedure, a.aggcombinefn::regprocedure,
				 a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
				 a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure,
				 a.aggmfinalfn::regprocedure, a.aggfinalextra, a.aggmfinalextra,
				 a.aggfinalmodify, a.aggmfinalmodify, a.aggsortop::regoperator,
				 a.aggtranstype::regtype, a.aggtransspace, a.aggmtranstype::regtype,
				 a.aggmtransspace, coalesce(a.agginitval, '(null)'),
				 coalesce(a.aggminitval, '(null)'))
FROM members m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
UNION ALL
-- types: storage, I/O functions, enum labels in order
SELECT 'type', t.oid::regtype::text,
	   concat_ws(' | ', t.typtype, t.typlen, t.typbyval, t.typcategory, t.typispreferred,
				 t.typalign, t.typstorage, t.typinput::regprocedure, t.typoutput::regprocedure,
				 t.typreceive::regprocedure, t.typsend::regprocedure, t.typmodin::regprocedure,
				 t.typanalyze::regprocedure, t.typdefault, t.typacl::text,
				 (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
				  FROM pg_enum e WHERE e.enumtypid = t.oid))
FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
UNION ALL
SELECT 'operator', o.oid::regoperator::text,
	   concat_ws(' | ', o.oprkind, o.oprresult::regtype, o.oprcode::regprocedure,
				 o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest::regprocedure,
				 o.oprjoin::regprocedure, o.oprcanmerge, o.oprcanhash)
FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
SELECT 'cast', format('%s -> %s', c.castsource::regtype, c.casttarget::regtype),
	   concat_ws(' | ', c.castfunc::regprocedure, c.castcontext, c.castmethod)
FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
-- operator classes: every operator and support function with its number
SELECT 'opclass', format('%s %s', am.amname, oc.opcname),
	   concat_ws(' | ', oc.opcintype::regtype, oc.opcdefault,
				 (SELECT string_agg(format('op %s %s', ao.amopstrategy, ao.amopopr::regoperator), ', '
									ORDER BY ao.amopstrategy, ao.amopopr::regoperator::text)
				  FROM pg_amop ao WHERE ao.amopfamily = oc.opcfamily),
				 (SELECT string_agg(format('proc %s %s', ap.amprocnum, ap.amproc::regprocedure), ', '
									ORDER BY ap.amprocnum, ap.amproc::regprocedure::text)
				  FROM pg_amproc ap WHERE ap.amprocfamily = oc.opcfamily))
FROM members m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND oc.oid = m.objid
JOIN pg_am am ON am.oid = oc.opcmethod
UNION ALL
-- tables and views: columns, constraints, definition, triggers, privileges
SELECT 'relation', c.oid::regclass::text,
	   concat_ws(' | ', c.relkind, c.relacl::text,
				 (SELECT string_agg(format('%s %s %s %s', a.attname, format_type(a.atttypid, a.atttypmod),
										   a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid)), ', ' ORDER BY a.attnum)
				  FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
				  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
				 (SELECT string_agg(format('%s %s', co.conname, pg_get_constraintdef(co.oid)), ', ' ORDER BY co.conname)
				  FROM pg_constraint co WHERE co.conrelid = c.oid),
				 (SELECT string_agg(pg_get_triggerdef(tg.oid), ', ' ORDER BY tg.tgname)
				  FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal),
				 CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END)
FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
UNION ALL
-- the extension itself: version, configuration tables and their filters
SELECT 'extension', e.extname,
	   concat_ws(' | ', e.extversion, e.extrelocatable,
				 (SELECT string_agg(format('%s %s', cfg::regclass, cond), ', ')
				  FROM unnest(e.extconfig, e.extcondition) AS x(cfg, cond)))
FROM pg_extension e WHERE e.extname = 'csmetrics'
$f$;
