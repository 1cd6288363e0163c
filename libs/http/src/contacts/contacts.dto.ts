import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, Length, ValidateIf } from 'class-validator';

export class CreateContactDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ type: [String], description: 'Unique across contacts' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  emails?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) companyId?: string;
}

export class UpdateContactDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) phone?: string;
  @ApiPropertyOptional({ nullable: true, description: 'A contact belongs to at most one company; null detaches it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 100)
  companyId?: string | null;
}

export class ContactEmailDto {
  @ApiProperty() @IsEmail() email!: string;
}

export class ContactQueryDto {
  @ApiPropertyOptional({ description: 'Find the contact that owns this address' }) @IsOptional() @IsEmail() email?: string;
}

export class CreateCompanyDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ example: 'example.com' }) @IsOptional() @IsString() @Length(1, 253) domain?: string;
}

export class UpdateCompanyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 253) domain?: string;
}
