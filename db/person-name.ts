/** How a person is named on every list and case view: given name, then family name. `p` is the persons row. */
export const displayName = (p = 'p') => `${p}.first_name || ' ' || ${p}.last_name`;
