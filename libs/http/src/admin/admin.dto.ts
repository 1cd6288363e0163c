import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateIf } from 'class-validator';

const ROLES = ['admin', 'agent', 'auditor', 'reporter'] as const;
const BASES = ['open', 'closed', 'postponed'] as const;

export class RegisterAgentDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiProperty() @IsEmail() email!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: (typeof ROLES)[number];
}

export class UpdateAgentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: (typeof ROLES)[number];
}

export class IssueTokenDto {
  @ApiPropertyOptional({ description: 'What the token is for, e.g. "laptop" or "CRM integration"' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

export class DefineStatusDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ enum: BASES }) @IsIn(BASES) base!: (typeof BASES)[number];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() queue?: boolean;
  @ApiPropertyOptional({ description: 'A customer reply opens a new linked request instead of reopening this one' })
  @IsOptional()
  @IsBoolean()
  newRequestOnReply?: boolean;
}

export class UpdateStatusDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() queue?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() newRequestOnReply?: boolean;
}

export class DefineCategoryDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() parentId?: string | null;
  @ApiPropertyOptional({ description: 'Only members see its requests' }) @IsOptional() @IsBoolean() restricted?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) memberIds?: string[];
}

export class UpdateCategoryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() parentId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() restricted?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) memberIds?: string[];
}

export class DefinePriorityDto {
  @ApiProperty() @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ nullable: true, description: 'Deadline = creation + this many minutes; null: no deadline' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  deadlineMinutes!: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() rank?: number;
}

export class UpdatePriorityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) deadlineMinutes?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() rank?: number;
}
