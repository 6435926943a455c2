/*-------------------------------------------------------------------------
 *
 * tableam.h
 *	  Public interface of the tableam layer: the dllb table access method: heap storage with key-clustered placement.
 *
 * IDENTIFICATION
 *	  src/tableam/tableam.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DLLB_TABLEAM_H
#define DLLB_TABLEAM_H

#include "dllb.h"

#endif							/* DLLB_TABLEAM_H */
