/** A vector attribute's value: sub-attribute names (upper case) to values. */
export type TemplateVector = Record<string, string>;

/** One attribute of a template: a single value or a vector of sub-attributes. */
export interface Attribute {
  /** Upper-cased name. */
  name: string;
  value: string | TemplateVector;
}

/**
 * An OpenNebula template: an ordered multimap of attributes. Order is kept as written; the XML
 * form sorts by name as OpenNebula does.
 */
export type Template = Attribute[];
