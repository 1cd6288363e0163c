import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min, ValidateIf } from 'class-validator';
import {
  Email,
  NullableString,
  OneOf,
  OptionalEmail,
  OptionalFlag,
  OptionalInt,
  OptionalOneOf,
  OptionalStringList,
  OptionalText,
  Text,
} from '../support/field.decorators';

const ROLES = ['admin', 'agent', 'auditor', 'reporter'] as const;
const BASES = ['open', 'closed', 'postponed'] as const;

export class RegisterAgentDto {
  @Text(200) name!: string;
  @Email() email!: string;
  @OneOf(ROLES) role!: (typeof ROLES)[number];
}

export class UpdateAgentDto {
  @OptionalText(200) name?: string;
  @OptionalEmail() email?: string;
  @OptionalOneOf(ROLES) role?: (typeof ROLES)[number];
}

export class IssueTokenDto {
  @OptionalText(100, { description: 'What the token is for, e.g. "laptop" or "CRM integration"' }) label?: string;
}

export class DefineStatusDto {
  @Text(100) name!: string;
  @OneOf(BASES) base!: (typeof BASES)[number];
  @OptionalFlag() queue?: boolean;
  @OptionalFlag({ description: 'A customer reply opens a new linked request instead of reopening this one' }) newRequestOnReply?: boolean;
}

export class UpdateStatusDto {
  @OptionalText(100) name?: string;
  @OptionalFlag() queue?: boolean;
  @OptionalFlag() newRequestOnReply?: boolean;
}

export class DefineCategoryDto {
  @Text(100) name!: string;
  @NullableString() parentId?: string | null;
  @OptionalFlag({ description: 'Only members see its requests' }) restricted?: boolean;
  @OptionalStringList({ max: 1000 }) memberIds?: string[];
}

export class UpdateCategoryDto {
  @OptionalText(100) name?: string;
  @NullableString() parentId?: string | null;
  @OptionalFlag() restricted?: boolean;
  @OptionalStringList({ max: 1000 }) memberIds?: string[];
}

export class DefinePriorityDto {
  @Text(100) name!: string;
  @ApiProperty({ nullable: true, description: 'Deadline = creation + this many minutes; null: no deadline' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  deadlineMinutes!: number | null;
  @OptionalInt() rank?: number;
}

export class UpdatePriorityDto {
  @OptionalText(100) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) deadlineMinutes?: number | null;
  @OptionalInt() rank?: number;
}
