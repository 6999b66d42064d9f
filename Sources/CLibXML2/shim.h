#ifndef ALLOT_CLIBXML2_SHIM_H
#define ALLOT_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <zlib.h>
#endif
