// The keys list's page size, a plain constant without zod so the list's bundle can take it: the
// keys page reads the first page as it renders, and the browser asks for the rest, the same size.

export const KEY_LIST_PAGE = 100;
