import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';

/**
 * The fields the DTOs are made of: each one the OpenAPI description and the validation of one kind
 * of value, so that a kind of value is checked the same way in every body.
 */

/** Ids (ours, or a request's number as text) are 1 to 100 characters. */
const ID_MAX = 100;

/**
 * The decorators as if stacked on the property in this order. applyDecorators applies them first to
 * last, while stacked ones run last to first; class-validator reports a field's errors in the order
 * its checks were registered, so this keeps the order of the reasons in a 400 as the stack reads.
 */
const stacked = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators.reverse());

const notNull = () => ValidateIf((_, value) => value !== null);

/** A string of 1 to `max` characters. */
export const Text = (max: number, api?: ApiPropertyOptions) => stacked(ApiProperty(api), IsString(), Length(1, max));
/** Optional; when given, a string of 1 to `max` characters. */
export const OptionalText = (max: number, api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsString(), Length(1, max));
/** Optional; when given, any string. */
export const OptionalString = (api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsString());
/** Optional; null (meaning "none") or any string. */
export const NullableString = (api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ nullable: true, ...api }), IsOptional(), notNull(), IsString());

export const Id = (api?: ApiPropertyOptions) => Text(ID_MAX, api);
export const OptionalId = (api?: ApiPropertyOptions) => OptionalText(ID_MAX, api);
/** Optional; null (meaning "none": unassigned, no company ...) or an id. */
export const NullableId = (api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ nullable: true, ...api }), IsOptional(), notNull(), IsString(), Length(1, ID_MAX));

export const OptionalFlag = (api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsBoolean());
export const OptionalInt = (api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsInt());

/** One of `values`. */
export const OneOf = (values: readonly string[], api?: ApiPropertyOptions) => stacked(ApiProperty({ enum: values, ...api }), IsIn(values));
/** Optional; when given, one of `values`. */
export const OptionalOneOf = (values: readonly string[], api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ enum: values, ...api }), IsOptional(), IsIn(values));

/** An ISO 8601 date and time. */
export const Timestamp = (api?: ApiPropertyOptions) => stacked(ApiProperty(api), IsISO8601({ strict: true }));
export const OptionalTimestamp = (api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsISO8601({ strict: true }));

export const Email = (api?: ApiPropertyOptions) => stacked(ApiProperty(api), IsEmail());
export const OptionalEmail = (api?: ApiPropertyOptions) => stacked(ApiPropertyOptional(api), IsOptional(), IsEmail());
/** Optional; when given, at most `max` email addresses (To, Cc, Bcc, a contact's addresses). */
export const EmailList = (max: number, api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ type: [String], ...api }), IsOptional(), IsArray(), ArrayMaxSize(max), IsEmail({}, { each: true }));

/** How many items a list may hold. */
export interface ListSize {
  readonly min?: number;
  readonly max?: number;
}
const listOf = ({ min, max }: ListSize) => [
  IsArray(),
  ...(min === undefined ? [] : [ArrayMinSize(min)]),
  ...(max === undefined ? [] : [ArrayMaxSize(max)]),
  IsString({ each: true }),
];
/** A list of strings (ids, mostly). */
export const StringList = (size: ListSize, api?: ApiPropertyOptions) => stacked(ApiProperty({ type: [String], ...api }), ...listOf(size));
/** Optional; when given, a list of strings. */
export const OptionalStringList = (size: ListSize, api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ type: [String], ...api }), IsOptional(), ...listOf(size));

/** Optional; when given, the tags of a request: at most 50, each at most 50 characters. */
export const Tags = (api?: ApiPropertyOptions) =>
  stacked(ApiPropertyOptional({ type: [String], ...api }), IsOptional(), IsArray(), ArrayMaxSize(50), IsString({ each: true }), MaxLength(50, { each: true }));
