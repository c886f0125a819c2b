import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { EmployeeExporter } from './csv/employee-exporter.js';
import { EmployeeImporter } from './csv/employee-importer.js';
import { DepartmentScope } from './department-scope.js';
import { DepartmentsService } from './departments.service.js';
import { EmployeesService } from './employees.service.js';

@Module({
  imports: [AuditModule],
  providers: [DepartmentScope, DepartmentsService, EmployeesService, EmployeeImporter, EmployeeExporter],
  exports: [DepartmentScope, DepartmentsService, EmployeesService, EmployeeImporter, EmployeeExporter],
})
export class DirectoryModule {}
