// The base library's last file: the global aliases a web developer expects.
internal.defineGlobal('self', globalThis);
