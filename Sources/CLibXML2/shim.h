#ifndef ALLOT_CLIBXML2_SHIM_H
#define ALLOT_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU, and its encoding.h then includes the system ICU headers, whose
 * UErrorCode clashes with the ICU copy inside Foundation (_FoundationICU) in any module that imports both.
 * allot never touches libxml2's ICU converter fields (they sit at the end of xmlCharEncodingHandler and
 * are only reached through pointers), so the ICU part of the headers is left out. */
#include <libxml/xmlversion.h>
#ifdef LIBXML_ICU_ENABLED
#undef LIBXML_ICU_ENABLED
#endif
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <zlib.h>
#endif
