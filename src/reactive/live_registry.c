/* placeholder */
#include "postgres.h"

#include "reactive/reactive.h"

void
dllb_live_forget(Oid relid)
{
}

void
dllb_live_xact_end(void)
{
}
