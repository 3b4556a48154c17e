/* MPRTC_API marks what libmprtc exports: the functions of include/mprtc/. Everything else in
 * the library is hidden (built with -fvisibility=hidden). */
#ifndef MPRTC_EXPORT_H
#define MPRTC_EXPORT_H

#if defined(MPRTC_COMPILATION) && defined(__GNUC__)
#define MPRTC_API __attribute__((visibility("default")))
#else
#define MPRTC_API
#endif

#endif
