/*-------------------------------------------------------------------------
 *
 * model.h
 *	  Public interface of the model layer: record ids, document and edge tables, graph traversal.
 *
 * IDENTIFICATION
 *	  src/model/model.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_MODEL_H
#define DLLB_MODEL_H

#include "dllb.h"

#endif							/* DLLB_MODEL_H */
