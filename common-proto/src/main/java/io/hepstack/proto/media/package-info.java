/**
 * Media quality: what RTCP (RFC 3550), its extended reports (RFC 3611) and agents' JSON renderings of them
 * say about a stream, and the ITU-T G.107 E-model that turns loss and delay into an R-factor and a MOS.
 * Depends on nothing else of the project: the model package stores what is read here.
 */
package io.hepstack.proto.media;
