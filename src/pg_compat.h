/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *	  The differences between the server APIs of PostgreSQL 14 to 18 that
 *	  csmetrics meets, in one place (doc/developing.md lists what was
 *	  checked).  Every file gets it through csmetrics.h.
 *
 * Only PostgreSQL 15 is built and tested on the project's machines; the
 * branches for the other versions follow those versions' headers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CSMETRICS_PG_COMPAT_H
#define CSMETRICS_PG_COMPAT_H

#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "storage/shmem.h"		/* add_size() before the 2026 minor releases */
#include "utils/float.h"
#include "utils/tuplestore.h"

/* SQL-standard function bodies (BEGIN ATOMIC) in the 1.0 script need 14 */
#if PG_VERSION_NUM < 140000
#error "csmetrics needs PostgreSQL 14 or later"
#endif

/*
 * 18 replaced the postfix pg_attribute_noreturn() with pg_noreturn, which
 * must come first in a declaration: write "pg_noreturn static void f(...);".
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* 16 added a soft-error context to float8in_internal; we always throw */
#if PG_VERSION_NUM >= 160000
#define csm_float8in_internal(num, endptr, type_name, orig_string) \
	float8in_internal((num), (endptr), (type_name), (orig_string), NULL)
#else
#define csm_float8in_internal(num, endptr, type_name, orig_string) \
	float8in_internal((num), (endptr), (type_name), (orig_string))
#endif

/*
 * A set-returning function in materialize mode: a tuplestore and the
 * result descriptor in rsinfo (InitMaterializedSRF from 15 on).
 */
#if PG_VERSION_NUM >= 150000
#define csm_init_materialized_srf(fcinfo) InitMaterializedSRF((fcinfo), 0)
#else
extern void csm_init_materialized_srf(FunctionCallInfo fcinfo);
#endif

#endif							/* CSMETRICS_PG_COMPAT_H */
